import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

/** Runs in a worker thread (see password-strength.ts): zxcvbn with the common and English dictionaries. */

export interface PasswordRatingTask {
  password: string;
  /** Words the user is known by (e-mail, name): a password built from them rates as weak. */
  userInputs: string[];
}

export interface PasswordRating {
  /** 0 (too guessable) to 4 (very unguessable). */
  score: number;
  warning: string | null;
  suggestions: string[];
}

const zxcvbn = new ZxcvbnFactory({ translations, graphs: adjacencyGraphs, dictionary: { ...commonDictionary, ...englishDictionary } });

export default function ratePassword({ password, userInputs }: PasswordRatingTask): PasswordRating {
  const { score, feedback } = zxcvbn.check(password, userInputs);
  return { score, warning: feedback.warning, suggestions: feedback.suggestions };
}
