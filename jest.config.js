// Jest runs our TypeScript as native ES modules through ts-jest (NODE_OPTIONS=--experimental-vm-modules),
// in three projects, and a fourth on demand:
//   unit         pure logic and the contracts (*.unit.test.ts): no running infrastructure needed
//   integration  test/infra and each service's tests, against the real stores of the local stack
//   e2e          test/e2e, through Envoy against the whole running mesh
//   faults       *.fault.test.ts, which kill parts of the stack: only with FIDALEX_FAULT_TESTS=1
// `npm test` runs the first three; `npm run test:unit` (or --selectProjects) runs one;
// `npm run test:faults` the faults alone. The projects but unit bring the mesh up once first
// (test/global-setup.js).

/** What every project shares. */
const shared = {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: {
    // Sources import siblings with a .js extension (NodeNext); Jest resolves the .ts file.
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json" }],
    // slonik is CommonJS and require()s p-limit and yocto-queue, which ship only as ES modules. Node
    // 20 can do that, but Jest's module runtime cannot before Node 24.9, so Jest gets them as CommonJS.
    "/node_modules/(p-limit|yocto-queue)/.+\\.js$": [
      "ts-jest",
      { tsconfig: { allowJs: true, module: "commonjs", moduleResolution: "node10", esModuleInterop: true } },
    ],
  },
  // Everything else in node_modules is used as shipped (nested copies included, as slonik has them).
  transformIgnorePatterns: ["^(?!.*/node_modules/(p-limit|yocto-queue)/).*/node_modules/"],
  // The local stack's data (Postgres keeps *.snap files there) and downloaded tools are not ours.
  modulePathIgnorePatterns: ["<rootDir>/.stack/", "<rootDir>/.tools/", "<rootDir>/dist/"],
};

/** @type {import('jest').Config} */
export default {
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: "unit",
      // Generates the code the tests import (git-ignored parts included) when it is missing.
      globalSetup: "<rootDir>/test/generate-setup.js",
      testMatch: ["<rootDir>/test/**/*.unit.test.ts", "<rootDir>/services/**/*.unit.test.ts"],
    },
    {
      ...shared,
      displayName: "integration",
      globalSetup: "<rootDir>/test/global-setup.js",
      testMatch: ["<rootDir>/test/infra/**/*.test.ts", "<rootDir>/services/**/*.test.ts"],
      testPathIgnorePatterns: ["\\.unit\\.test\\.ts$", "\\.fault\\.test\\.ts$"],
    },
    {
      ...shared,
      displayName: "e2e",
      globalSetup: "<rootDir>/test/global-setup.js",
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
    },
    // Fault tests kill and restart parts of the stack, so they never run beside other tests: only
    // with FIDALEX_FAULT_TESTS=1, one file at a time (npm run test:faults).
    ...(process.env.FIDALEX_FAULT_TESTS === "1"
      ? [
          {
            ...shared,
            displayName: "faults",
            globalSetup: "<rootDir>/test/global-setup.js",
            testMatch: ["<rootDir>/services/**/*.fault.test.ts"],
          },
        ]
      : []),
  ],
};
