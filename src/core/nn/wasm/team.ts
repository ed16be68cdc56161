/**
 * Who runs the products of a TiledNetwork (tiled.ts). A team owns the module's memory: the solo team runs every
 * product on the calling thread; a thread team (threads.ts) splits a large product's rows between the caller and
 * helper threads over shared memory. Every element of a product is computed whole by one thread in the same order
 * whatever the split (products.ts), so the results do not depend on the team.
 */
import { sharedModule } from './modules';
import {
  type Helper,
  HELPERS,
  type HelperName,
  type Product,
  type ProductName,
  PRODUCTS,
  productsModule,
} from './products';
import type { Update } from './updates';

export interface Team {
  /** A memory of `pages` pages (the buffers need `bytes`) with the products bound to it, or null if refused. */
  bind(pages: number, bytes: number): BoundTeam | null;
}

export interface BoundTeam {
  readonly buffer: ArrayBuffer;
  /** Runs product `name` over rows 0 … rows−1 (args[7], args[8] are set here). */
  run(name: ProductName, rows: number, args: Parameters<Product>): void;
  /** The small helpers, on the calling thread. */
  readonly helpers: Record<HelperName, Helper>;
  /** The optimizers' step (updates.ts), on the calling thread. */
  readonly update: Update;
}

interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}

/** 4 GiB: wasm32's whole address space, the most a shared memory may declare. */
export const MAX_PAGES = 65536;

/** The compiled products module for one memory kind: it does not depend on the shape, so one serves every run. */
export function productsModuleObject(shared: boolean): object {
  return sharedModule(`products|${shared ? 'shared' : 'plain'}`, () => {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    return { module: new wasm.Module(productsModule(1, shared ? MAX_PAGES : undefined)), meta: {} };
  }).module;
}

export interface ProductsInstance {
  products: Record<ProductName, Product>;
  helpers: Record<HelperName, Helper>;
  update: Update;
}

/** The exports of `module` bound to `memory`, by name. */
export function instantiateProducts(module: object, memory: object): ProductsInstance {
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const { exports } = new wasm.Instance(module, { m: { memory } });
  const pick = <N extends string, F>(names: readonly N[]) =>
    Object.fromEntries(names.map((n) => [n, exports[n]])) as Record<N, F>;
  return {
    products: pick<ProductName, Product>(PRODUCTS),
    helpers: pick<HelperName, Helper>(HELPERS),
    update: exports.update as Update,
  };
}

export function soloTeam(): Team {
  return {
    bind(pages) {
      const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
      const memory = new wasm.Memory({ initial: pages });
      const { products, helpers, update } = instantiateProducts(productsModuleObject(false), memory);
      return {
        buffer: memory.buffer,
        helpers,
        update,
        run(name, rows, args) {
          args[7] = 0;
          args[8] = rows;
          products[name](...args);
        },
      };
    },
  };
}
