/**
 * Gradient checking: the public API of src/core/gradcheck.
 *   checkGradients(problem, options) → GradcheckReport         the core (check.ts)
 *   networkProblem(params, X, Y, model, { l2, dropoutMasks })    NN Lab's own network as a problem
 *   reportToJson(name, report)                                   the `nnlab gradcheck --json` shape
 * Model modules: docs/model-modules.md; one resolved experiment (module or built-in) is
 * src/node/gradcheck/experiment.ts. Python modules run through the runner (src/runner/gradcheck.ts, docs/python.md).
 */
export * from './check';
export { networkProblem, tensorSpecs } from './network';
export { fixedDropoutMasks, isPythonModule, omittedMessage } from './experiment';
export { reportToJson, DEFAULT_WORST, type GradcheckJson, type GradcheckJsonEntry } from './json';
export { describeError, ModelModuleError } from './moduleErrors';
export type { ModelModule, ModuleSetup } from './moduleProblem';
