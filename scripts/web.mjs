/**
 * `npm run web`: serves the explorer page (web/) with Vite's dev server on a fixed port (5173, or
 * PORT), prints the address to open, and says plainly what to do when the port is taken instead of
 * moving to another one.
 */
import { createServer } from "vite";

const port = Number(process.env.PORT ?? 5173);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT must be a whole number from 1 to 65535, got "${process.env.PORT}".`);
  process.exit(1);
}
try {
  const server = await createServer({ configFile: "vite.web.config.ts", server: { port, strictPort: true } });
  await server.listen();
  console.log(`ntk-depth explorer: open ${server.resolvedUrls?.local[0] ?? `http://localhost:${port}/`} in a browser (Ctrl+C stops the server).`);
} catch (error) {
  if (error instanceof Error && /already in use/i.test(error.message)) {
    console.error(
      `Port ${port} is already taken (another "npm run web" may be running). ` +
        `Stop the program that uses it, or run on another port: PORT=${port + 1} npm run web`,
    );
    process.exit(1);
  }
  throw error;
}
