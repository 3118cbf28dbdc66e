/**
 * The entry of the single-file browser bundle (`ntk-depth/browser`): the core API and the
 * engine-level pieces of `ntk-depth/advanced` in one module, because a plain
 * `<script type="module">` without a bundler or import map cannot reach the subpath on its own.
 */
export * from "./index.js";
export * from "./advanced.js";
