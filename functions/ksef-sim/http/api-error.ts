import { KsefJobError } from '../../domain/errors.js';

/** An error the simulator answers with; rendered as KSeF renders it (see render-error.ts). */
export class KsefApiError extends KsefJobError {
  constructor(
    readonly status: number,
    readonly code: number | null,
    readonly description: string,
    readonly details: readonly string[] = [],
    readonly extra: { reasonCode?: string; security?: Record<string, unknown>; retryAfterSeconds?: number } = {},
  ) {
    super(`${status}${code ? `/${code}` : ''}: ${description}`);
  }
}

/** The 400 codes the simulator uses, with the official descriptions. */
export const KsefErrorCode = {
  unreadableContent: [21001, 'Nieczytelna treść.'],
  invalidChallenge: [21111, 'Nieprawidłowe wyzwanie autoryzacyjne.'],
  invalidCertificate: [21115, 'Nieprawidłowy certyfikat.'],
  invalidSubjectIdentifier: [21117, 'Nieprawidłowy identyfikator podmiotu dla wskazanego typu kontekstu.'],
  invoiceLimit: [21155, 'Przekroczono dozwoloną liczbę faktur w sesji.'],
  invalidPartSize: [21157, 'Nieprawidłowy rozmiar części pakietu.'],
  tooManyParts: [21161, 'Przekroczono dozwoloną liczbę części pakietu.'],
  invoiceNotFound: [21164, 'Faktura o podanym identyfikatorze nie istnieje.'],
  invoiceNotYetAvailable: [21165, 'Faktura o podanym numerze KSeF nie jest jeszcze dostępna.'],
  technicalCorrectionUnavailable: [21166, 'Korekta techniczna niedostępna.'],
  technicalCorrectionStatus: [21167, 'Status faktury nie pozwala na korektę techniczną.'],
  noSession: [21173, 'Brak sesji o wskazanym numerze referencyjnym.'],
  exportNotFound: [21175, 'Wynik zapytania o podanym identyfikatorze nie istnieje.'],
  upoNotFound: [21178, 'Nie znaleziono UPO dla podanych kryteriów.'],
  sessionState: [21180, 'Status sesji nie pozwala na wykonanie operacji.'],
  invalidExport: [21181, 'Nieprawidłowe żądanie eksportu faktur.'],
  exportLimit: [21182, 'Osiągnięto limit trwających eksportów.'],
  dateRangeOutside: [21183, 'Zakres filtrowania wykracza poza dostępny zakres danych.'],
  emptyPackage: [21205, 'Pakiet nie może być pusty.'],
  uploadWindow: [21208, 'Czas oczekiwania na requesty upload lub finish został przekroczony.'],
  encoding: [21217, 'Nieprawidłowe kodowanie znaków.'],
  noAuthorization: [21301, 'Brak autoryzacji.'],
  noAuthentication: [21304, 'Brak uwierzytelnienia.'],
  notXsdValid: [21401, 'Dokument nie jest zgodny ze schemą (xsd).'],
  invalidSize: [21402, 'Nieprawidłowy rozmiar pliku.'],
  invalidHash: [21403, 'Nieprawidłowy skrót pliku.'],
  inputValidation: [21405, 'Błąd walidacji danych wejściowych.'],
  signatureConflict: [21406, 'Konflikt podpisu i typu uwierzytelnienia.'],
  invalidContinuationToken: [21418, 'Przekazany token kontynuacji ma nieprawidłowy format.'],
  unknownKey: [21470, 'Przesłany identyfikator klucza jest nieznany lub wskazuje na wycofany klucz.'],
  invalidDocument: [9101, 'Nieprawidłowy dokument.'],
  noSignature: [9102, 'Brak podpisu.'],
  tooManySignatures: [9103, 'Przekroczona liczba dozwolonych podpisów.'],
  invalidSignature: [9105, 'Nieprawidłowy podpis.'],
  tokenPermissions: [26001, 'Nie można nadać tokenowi uprawnień których nie posiadasz.'],
  tokenContextType: [26002, 'Nie można wygenerować tokena dla obecnego typu kontekstu.'],
} as const satisfies Record<string, readonly [number, string]>;
export type KsefErrorCode = keyof typeof KsefErrorCode;

export function badRequest(code: KsefErrorCode, ...details: string[]): KsefApiError {
  const [number, description] = KsefErrorCode[code];
  return new KsefApiError(400, number, description, details);
}

export function unauthorized(detail = 'Wymagane jest uwierzytelnienie.'): KsefApiError {
  return new KsefApiError(401, null, detail);
}

export function forbidden(reasonCode: string, detail: string, security: Record<string, unknown> = {}): KsefApiError {
  return new KsefApiError(403, null, detail, [], { reasonCode, security });
}

export function notFound(detail = 'Nie znaleziono zasobu.'): KsefApiError {
  return new KsefApiError(404, null, detail);
}

export function gone(detail: string): KsefApiError {
  return new KsefApiError(410, null, detail);
}

export function tooManyRequests(detail: string, retryAfterSeconds: number): KsefApiError {
  return new KsefApiError(429, null, detail, [detail], { retryAfterSeconds });
}
