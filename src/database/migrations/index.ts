import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';

// Listed explicitly (not globbed) so the compiled app and the swc-run tests load the same set.
export const MIGRATIONS = [InitialSchema1764000000000];
