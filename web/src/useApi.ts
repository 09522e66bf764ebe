// Load a GET on mount and whenever its path or query change; `reload` after a change.
import { useCallback, useEffect, useRef, useState } from "react";
import { api, type Query } from "./api.ts";

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

export function useApi<T>(path: string | null, query?: Query): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const key = path === null ? null : `${path}?${JSON.stringify(query ?? {})}`;
  const latest = useRef(0);
  const queryRef = useRef(query);
  queryRef.current = query;

  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for path and query; tick reloads
  useEffect(() => {
    if (path === null) return;
    const call = ++latest.current;
    setLoading(true);
    api
      .get<T>(path, queryRef.current)
      .then((value) => {
        if (call !== latest.current) return;
        setData(value);
        setError(undefined);
      })
      .catch((e) => {
        if (call === latest.current) setError(e);
      })
      .finally(() => {
        if (call === latest.current) setLoading(false);
      });
  }, [key, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
