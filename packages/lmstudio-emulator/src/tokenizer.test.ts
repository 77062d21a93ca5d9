import { expect, test } from "vitest";
import { countTokens, splitTokens, tokenize } from "./tokenizer.js";

test("a token is leading whitespace plus a letter run, one digit or one symbol", () => {
  expect(splitTokens("2+3=")).toEqual(["2", "+", "3", "="]);
  expect(splitTokens("Hello, world!")).toEqual(["Hello", ",", " world", "!"]);
  expect(splitTokens("ninety-six")).toEqual(["ninety", "-", "six"]);
  expect(splitTokens("année 42 ")).toEqual(["année", " 4", "2", " "]);
  expect(countTokens("")).toBe(0);
});

test("tokens join back to the text and count, tokenize and split agree", () => {
  const text = "The secret code for the vault is 7319.\n\nWhat is it?  ";
  expect(splitTokens(text).join("")).toBe(text);
  expect(countTokens(text)).toBe(splitTokens(text).length);
  expect(tokenize(text)).toHaveLength(countTokens(text));
  expect(tokenize("same")).toEqual(tokenize("same"));
});
