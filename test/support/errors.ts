/** Catching the one error class of ntk-depth in tests. */
import { expect } from "vitest";
import { NtkError, type NtkErrorCode } from "../../src/errors.js";

/** The NtkError that `f` throws; any other exception is rethrown, and no exception fails the test. */
export function errorOf(f: () => unknown): NtkError {
  try {
    f();
  } catch (e) {
    if (e instanceof NtkError) return e;
    throw e;
  }
  throw new Error("expected an NtkError, but nothing was thrown");
}

/** The code of the NtkError that `f` throws (see {@link errorOf}). */
export function codeOf(f: () => unknown): NtkErrorCode {
  return errorOf(f).code;
}

/** The NtkError that `f` throws or rejects with (see {@link errorOf}). */
export async function rejectionOf(f: () => unknown): Promise<NtkError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof NtkError) return e;
    throw e;
  }
  throw new Error("expected an NtkError, but nothing was thrown");
}

/** The code of the NtkError that `f` throws or rejects with. */
export async function rejectionCodeOf(f: () => unknown): Promise<NtkErrorCode> {
  return (await rejectionOf(f)).code;
}

/** Expects `f` to throw or reject with an NtkError of `code` whose message matches `message`. */
export async function expectCode(f: () => unknown, code: NtkErrorCode, message: RegExp): Promise<void> {
  const e = await rejectionOf(f);
  expect(e.code, `expected ${code}, got ${e.code}: ${e.message}`).toBe(code);
  expect(e.message).toMatch(message);
}
