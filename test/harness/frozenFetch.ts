// A fetch for a core the test "stops" mid-attempt: once frozen, no answer (nor failure) of a request
// under way or to come ever reaches the core, as if its process had ended there. The attempt stays
// where it was instead of going on against a closed database after the test closed the core.
export function freezableFetch() {
  let frozen = false;
  let stuck = 0;
  const hang = () => {
    stuck++;
    return new Promise<never>(() => {});
  };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    if (frozen) return hang();
    try {
      const response = await globalThis.fetch(input, init);
      return frozen ? hang() : response;
    } catch (error) {
      if (frozen) return hang();
      throw error;
    }
  };
  return {
    fetch,
    freeze: () => void (frozen = true),
    /** Requests left hanging since the freeze. */
    stuck: () => stuck,
  };
}
