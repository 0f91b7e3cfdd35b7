/**
 * Environment the production image sets for the process itself (Dockerfile, `runtime` stage): the benchmarks
 * measure the service as it runs there. MALLOC_ARENA_MAX bounds glibc's per-thread arenas (the memory
 * benchmark's RSS). test/deploy/dockerfile.test.ts holds the two in step.
 */
export const PRODUCTION_PROCESS_ENV = { MALLOC_ARENA_MAX: "2" } as const;
