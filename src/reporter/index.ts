// `vitest-azure-network/reporter`: the evidence pack reporter (exports only).
import { EvidenceReporter } from './EvidenceReporter.js'

export { EvidenceReporter }
export type { EvidenceReporterOptions, EvidencePackFiles } from './EvidenceReporter.js'
export { EVIDENCE_PACK_FORMAT, NO_CONTROL } from './pack.js'
export type { EvidencePack, EvidenceTest, EvidenceAssertion, GroupSummary, Counts, Verdict, TestState } from './pack.js'
export type { FidelitySummary, FidelityKindRow, FidelityQuestionRow } from './fidelity.js'
export { renderEvidencePage } from './html.js'
export { EVIDENCE_ANNOTATION, CONTROL_ANNOTATION } from './annotations.js'
// A reporter module's default export is what `reporters: ['vitest-azure-network/reporter']` instantiates.
export default EvidenceReporter
