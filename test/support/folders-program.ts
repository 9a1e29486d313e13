import { programDocument } from './factories';

// A program that is not built in: CONTRACT.md's "Programs as data" example.
export const FOLDERS = programDocument();
