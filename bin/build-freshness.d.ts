// Types of bin/build-freshness.js (plain JavaScript: the executable runs before any compiler).
export declare const STAMP_FILE: string;
export declare const ENTRY_FILE: string;
export declare function newestMtime(dir: string): number;
export declare function freshBuild(root: string): string | undefined;
