#!/usr/bin/env node
// The package bin. It runs the TypeScript sources directly through tsx's ESM loader, so the
// command works right after `npm ci`, without a build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import(new URL("../src/cli.ts", import.meta.url).href);
await main();
