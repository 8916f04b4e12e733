export { compile, compileForRequest, type ChunkInput, type CompileOptions } from './compile.ts';
export { serializeStep } from './serialize-step.ts';
export { validateSteps } from './validate-steps.ts';
