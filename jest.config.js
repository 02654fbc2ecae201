// Jest runs our TypeScript as native ES modules through ts-jest (NODE_OPTIONS=--experimental-vm-modules).
/** @type {import('jest').Config} */
export default {
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
  modulePathIgnorePatterns: ["<rootDir>/.stack/", "<rootDir>/.tools/"],
  globalSetup: "<rootDir>/test/global-setup.js",
  testMatch: ["<rootDir>/test/**/*.test.ts", "<rootDir>/services/**/*.test.ts"],
  testTimeout: 60_000,
};
