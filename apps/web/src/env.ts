import { z } from "zod";

/** The web server's configuration, validated once; nothing else in the app reads `process.env`. */
const envSchema = z.object({
  LMSTUDIO_URL: z
    .string()
    .trim()
    .regex(/^wss?:\/\/[^\s/]+/, "LMSTUDIO_URL must look like ws://127.0.0.1:1234")
    .default("ws://127.0.0.1:1234"),
  LMSTRIX_LISTEN: z.string().trim().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  LMSTRIX_TOKEN: z.string().min(16, "LMSTRIX_TOKEN must be at least 16 characters").optional(),
});

export type WebEnv = z.infer<typeof envSchema>;

let cached: WebEnv | undefined;

export function env(): WebEnv {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment: ${problems.join("; ")}`);
  }
  cached = parsed.data;
  return cached;
}
