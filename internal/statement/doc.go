// Package statement writes the two PDF documents a licence holder downloads
// from the portal (REFERENCE §4):
//
//   - the relevé d'information intégral (RII, FullStatement): everything the
//     register holds about the licence — civil status and address, NEPH,
//     categories with their dates, restrictions, cards, probation, the points
//     balance and its ceiling, the movements of the last ten years, the
//     recoveries to come, the ministry's letters, the measures on the right
//     (suspension, invalidation…) and its state. Only the holder, a mandated
//     representative and the authorities listed in L225-4 may obtain it.
//
//   - the attestation de droits à conduire sécurisée (ADCS, Attestation): the
//     categories held and their validity, the restrictions, whether the right
//     is valid, retained, suspended, invalidated or annulled, the NEPH and the
//     holder's civil status, valid four months. The holder hands it to an
//     employer, an insurer, a rental company or a foreign authority. Employers
//     and insurers may not ask for the points balance, so RightsAttestation,
//     the attestation's input, has no field that could carry points, a
//     movement or a letter: a caller cannot put them in by mistake. It also
//     leaves out the address, which is not part of civil status.
//
// Both are A4, in French, and carry their reference, their date and time of
// issue, "Page n sur N" on every page, the 2D-Doc (a DataMatrix whose modules
// the caller computes with package twoddoc, drawn as vector squares) in the
// top right corner of the first page with how to verify it, a legal line, and
// PDF metadata. The output is deterministic: the same input gives the same
// bytes (creation date taken from IssuedAt, no random file identifier), so the
// documents can be compared and tested against golden files.
//
// The package does no I/O: it turns plain data into bytes. Text is set in the
// PDF core font Helvetica with the Windows-1252 code page, which holds every
// French letter (é, ç, œ, the typographic apostrophe ’, «, », €), so no font
// file is embedded.
package statement
