// Mocha root hook (registered in .mocharc.json): once, after the whole run, the note on tests skipped
// for a missing system tool (see system-tools.ts).
import { skippedSummary } from "./system-tools.ts";

export const mochaHooks = {
  afterAll(): void {
    const summary = skippedSummary();
    if (summary) console.warn(`\n${summary}\n`);
  },
};
