// The README's BARS commands, run by test/cli/readme-bars.test.ts (listed here so that the README test's
// inventory counts them as covered).
export const BARS_README_COMMANDS = [
  "reglament source add <id> --kind bars --config FILE",
  "npm start -- --platform bars",
];
