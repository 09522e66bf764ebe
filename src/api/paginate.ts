// Pagination of list routes: `?page=1&pageSize=50` in, `{ items, total, page, pageSize }` out.
import { z } from "zod";
import type { Db, SqlParam } from "../store/db.ts";

export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** LIMIT/OFFSET for SQL from a page query. */
export const limitOffset = (q: PageQuery) => ({ limit: q.pageSize, offset: (q.page - 1) * q.pageSize });

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });

/**
 * One page of a list and the count of the whole list, from one description: `SELECT columns FROM from
 * WHERE where ORDER BY order` with LIMIT/OFFSET appended after `params`, and its count(*).
 */
export async function queryPage<R>(
  db: Db,
  q: PageQuery,
  sql: { columns: string; from: string; where: string; order: string },
  params: SqlParam[],
): Promise<PageOf<R>> {
  const { limit, offset } = limitOffset(q);
  const n = params.length;
  const items = await db.query<R & Record<string, unknown>>(
    `SELECT ${sql.columns} FROM ${sql.from} WHERE ${sql.where} ORDER BY ${sql.order} LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...params, limit, offset],
  );
  const [{ total }] = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM ${sql.from} WHERE ${sql.where}`,
    params,
  );
  return { items, total, page: q.page, pageSize: q.pageSize };
}

/** The same page with its items mapped for the API. */
export const mapPage = <R, T>(p: PageOf<R>, f: (r: R) => T): PageOf<T> => ({ ...p, items: p.items.map(f) });
