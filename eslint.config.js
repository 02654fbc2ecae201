// Lint for our TypeScript; generated code and third-party folders are checked by buf, not here.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "gen/**",
      "dist/**",
      "node_modules/**",
      "third_party/**",
      "build/**",
      ".stack/**",
      ".tools/**",
      "coverage/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // End-to-end tests read JSON bodies of REST responses as a client would, without a schema.
    files: ["test/e2e/**/*.ts", "test/support/edge.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
