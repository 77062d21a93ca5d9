import { readFile } from "node:fs/promises";
import { type Fleet, FleetValidationError, parseFleet } from "./schema.js";

/** Reads and validates a JSON fleet file; errors name the file and every bad field. */
export async function readFleetFile(path: string): Promise<Fleet> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new FleetValidationError(`Cannot read fleet file ${path}: ${(error as Error).message}`, []);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FleetValidationError(`Fleet file ${path} is not valid JSON: ${(error as Error).message}`, []);
  }
  return parseFleet(json, `fleet file ${path}`);
}
