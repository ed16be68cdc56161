/**
 * Gradient checking: the public API of src/core/gradcheck.
 *   checkGradients(problem, options) → GradcheckReport         the core (check.ts)
 *   networkProblem(params, X, Y, model, { l2, dropoutMasks })    NN Lab's own network as a problem
 *   gradcheckExperiment(config, baseDir, options)                one resolved experiment, module or built-in
 *   reportToJson(name, report)                                   the `nnlab gradcheck --json` shape
 * Model modules: docs/model-modules.md. Python modules run through the runner (src/runner/gradcheck.ts, docs/python.md).
 */
export * from './check';
export { networkProblem, tensorSpecs } from './network';
export { gradcheckExperiment, fixedDropoutMasks, isPythonModule, moduleFallback, type ExperimentCheckOptions } from './experiment';
export { reportToJson, DEFAULT_WORST, type GradcheckJson, type GradcheckJsonEntry } from './json';
export { ModelModuleError } from './moduleErrors';
export { checkModelModule, findWorkerScript, DEFAULT_MODULE_TIMEOUT_MS, type ModuleCheckOptions } from './moduleCheck';
export type { ModuleSetup } from './moduleProblem';
