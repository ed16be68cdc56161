// Typed access to mocha's TDD interface for the in-host suites (test/e2e/host/**). Mocha installs `suite`,
// `test`, … as globals just before it loads each suite file; these wrappers look them up at call time, so
// suites need neither @types/mocha nor a mocha import. `this` inside a test is mocha's context
// (`this.timeout(ms)`, `this.skip()`), so pass `function` callbacks when you need it.
export interface Context {
  timeout(ms: number): void;
  skip(): never;
}
type TestFn = (this: Context) => void | Promise<unknown>;
interface Tdd {
  suite(title: string, fn: (this: Context) => void): void;
  test(title: string, fn: TestFn): void;
  suiteSetup(fn: TestFn): void;
  suiteTeardown(fn: TestFn): void;
  setup(fn: TestFn): void;
  teardown(fn: TestFn): void;
}
const tdd = (): Tdd => globalThis as unknown as Tdd;

export const suite = (title: string, fn: (this: Context) => void): void => tdd().suite(title, fn);
export const test = (title: string, fn: TestFn): void => tdd().test(title, fn);
export const suiteSetup = (fn: TestFn): void => tdd().suiteSetup(fn);
export const suiteTeardown = (fn: TestFn): void => tdd().suiteTeardown(fn);
export const setup = (fn: TestFn): void => tdd().setup(fn);
export const teardown = (fn: TestFn): void => tdd().teardown(fn);
