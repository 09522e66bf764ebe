// nock 15 (via @mswjs/interceptors) calls Promise.withResolvers, which Node 20 lacks (Node 22 has it).
// Import nock from here in tests to get the polyfill first.
import nock from "nock";

type Resolvers = { promise: Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };
const P = Promise as unknown as { withResolvers?: () => Resolvers };
if (typeof P.withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value: function withResolvers(this: PromiseConstructor): Resolvers {
      let resolve!: (v: unknown) => void;
      let reject!: (e: unknown) => void;
      const promise = new this<unknown>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export default nock;
