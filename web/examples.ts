/**
 * The repository's example data files (examples/), offered on the page as ready-made pasted data.
 * Vite inlines their text at build time.
 */
import circle from "../examples/circle.csv?raw";
import pair from "../examples/pair.json?raw";
import train from "../examples/train.json?raw";

/** File name → contents, in the order the page lists them. */
export const EXAMPLE_DATA: Readonly<Record<string, string>> = {
  "circle.csv": circle,
  "train.json": train,
  "pair.json": pair,
};
