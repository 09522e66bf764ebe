// Entry point of the `reglament` executable (bin/reglament.js loads it through tsx).
import { main } from "./program.ts";

process.exitCode = await main(process.argv);
