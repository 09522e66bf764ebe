// Worker-thread entry of the journal render pool: renders one journal (pdfkit is synchronous CPU work),
// keeping the thread's parsed fonts and shaped words for the next one.
import { type RenderedJournal, type RenderJournalOptions, renderJournal } from "./journal.ts";
import type { JournalData } from "./journal-data.ts";

export interface RenderTask {
  data: JournalData;
  options: RenderJournalOptions;
}

export default async function render({ data, options }: RenderTask): Promise<RenderedJournal> {
  return renderJournal(data, options);
}
