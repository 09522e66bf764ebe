-- A paused source stays configured but the scheduled sync fan-out skips it (the console's «Пауза»);
-- an explicit `sync now` of that source still runs.
ALTER TABLE sources ADD COLUMN paused boolean NOT NULL DEFAULT false;
