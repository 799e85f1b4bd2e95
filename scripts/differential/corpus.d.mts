// Types for the replay test (__test__/differential.test.ts); the module itself is plain JS.
export interface Corpus {
  header: { family: string; seed: number; generator: number; [k: string]: unknown }
  cases: { id: number; steps: unknown[]; out: unknown[] }[]
}
export interface CaseDiff {
  step: number
  steps: unknown[]
  expected: unknown
  actual: unknown
}
export const CORPUS_DIR: string
export const GENERATOR_VERSION: number
export function corpusFiles(dir?: string): string[]
export function readCorpus(file: string): Corpus
export function readKnown(dir?: string): Record<string, Record<string, string>>
export function replay(client: unknown, family: string, corpus: Corpus): Promise<Record<string, CaseDiff>>
