/** Limits on request size that an operator may tune. */
export interface ValidationLimits {
  /** Most `slot_time` entries one BatchAvailabilityLookup may ask about (TOO_MANY_SLOTS above it). */
  maxSlotTimes: number;
}

/** The limits used when none are configured. */
export const defaultValidationLimits: ValidationLimits = { maxSlotTimes: 1000 };

/** Field limits fixed by the contract (Google's definitions) or by plain sanity; not configurable. */
export const fieldLimits = {
  /** `given_name` and `family_name`: Google's UserInformation says at most 40 characters. */
  nameChars: 40,
  idChars: 256,
  tokenChars: 256,
  emailChars: 254,
  telephoneChars: 40,
  telephoneMinDigits: 5,
  telephoneMaxDigits: 20,
  languageCodeChars: 35,
  addressChars: 256,
  additionalRequestChars: 2000,
  /** Opaque payment blobs (Google Pay tokens, fraud signals, 3DS data) are JSON of a few KiB. */
  paymentBlobChars: 16 * 1024,
  /** 2000-01-01T00:00:00Z: nothing bookable starts earlier. */
  minStartSec: 946_684_800n,
  /** 2100-01-01T00:00:00Z: later values are typing errors, not appointments. */
  maxStartSec: 4_102_444_800n,
  /** Seven days: no appointment, class or table lasts longer. */
  maxDurationSec: 7n * 24n * 3600n,
  maxPartySize: 1000,
  /** Every violation is reported, up to this many (the rest are summarised) to bound the error size. */
  maxReportedViolations: 100,
} as const;
