/**
 * @peculiar/x509 loads tsyringe, which refuses to load unless a Reflect metadata polyfill is
 * present, but reads metadata only while x509 registers its classes, and those carry none.
 * So instead of a global polyfill dependency, `x509.ts` installs these "no metadata" stubs
 * just for the duration of that load and removes them after. An existing polyfill is left alone.
 */
type MetadataFn = (...args: unknown[]) => unknown;
const reflect = Reflect as unknown as Record<string, MetadataFn | undefined>;
const added = ["getMetadata", "getOwnMetadata", "defineMetadata"].filter(
  (name) => typeof reflect[name] !== "function",
);
for (const name of added) reflect[name] = () => undefined;

export function removeReflectStub(): void {
  for (const name of added) delete reflect[name];
}
