import type { Metadata } from "next";
import Link from "next/link";
import { env } from "~/env";
import { userNameSchemaMessage } from "~/server/auth";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  token: "That is not this dashboard's access token.",
  name: userNameSchemaMessage,
  expired: "Your session expired; sign in again.",
};

interface Props {
  searchParams: Promise<{ next?: string; error?: string; name?: string }>;
}

/** Team mode's door: a plain form (works without JavaScript) posting to /api/sign-in. */
export default async function SignInPage({ searchParams }: Props) {
  const { next = "/models", error, name = "" } = await searchParams;
  if (!env().LMSTRIX_TOKEN) {
    return (
      <section className="mx-auto max-w-md rounded border border-slate-200 bg-white p-6">
        <h1 className="mb-2 text-2xl font-semibold">Sign in</h1>
        <p>
          This dashboard has no access token set, so no sign-in is needed.{" "}
          <Link href="/models">Go to the models</Link>.
        </p>
      </section>
    );
  }
  const message = error ? ERRORS[error] : undefined;
  return (
    <section className="mx-auto max-w-md rounded border border-slate-200 bg-white p-6">
      <h1 className="mb-1 text-2xl font-semibold">Sign in</h1>
      <p className="mb-4 text-sm text-slate-600">
        This LMStrix is shared by a team. Enter the access token its owner gave you, and your name: runs you
        start are recorded under it.
      </p>
      {message ? (
        <p role="alert" className="mb-4 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {message}
        </p>
      ) : null}
      <form method="post" action="/api/sign-in" className="grid gap-4">
        <input type="hidden" name="next" value={next} />
        <label className="grid gap-1 text-sm font-medium">
          Your name
          <input
            name="name"
            required
            maxLength={40}
            defaultValue={name}
            autoComplete="name"
            className="rounded border border-slate-300 px-3 py-2 font-normal"
          />
        </label>
        <label className="grid gap-1 text-sm font-medium">
          Access token
          <input
            name="token"
            type="password"
            required
            autoComplete="current-password"
            className="rounded border border-slate-300 px-3 py-2 font-normal"
          />
        </label>
        <button
          type="submit"
          className="rounded bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700"
        >
          Sign in
        </button>
      </form>
    </section>
  );
}
