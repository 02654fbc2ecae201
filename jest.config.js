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
  },
  testMatch: ["<rootDir>/test/**/*.test.ts", "<rootDir>/services/**/*.test.ts"],
  testTimeout: 60_000,
};
