// The global --config option's help, shared by the program and the commands (kept apart: the program loads it
// before any command module).
export const SCHOOL_CONFIG_HELP = "a school's config file layered over config/default.yaml";
