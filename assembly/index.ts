// Everything the WebAssembly module exports. Each concept of SPEC.md lives in its own file.
export * from "./memory";
export * from "./correlation";
export * from "./lu";
export * from "./cholesky";
export * from "./eigen";
export * from "./gram";
export * from "./pair";
export * from "./layers";
export * from "./depthJump";
export * from "./depthMap";
