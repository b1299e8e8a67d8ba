// A component whose code is a chunk of its own, loaded the first time it renders (React.lazy; a
// Suspense boundary above it shows what stands in meanwhile). For what the first screen, the
// composer, does not need at once: other screens, a platform's connect form, a post's preview,
// fields only some platforms have. Each platform or preview added then grows its chunk, not the
// script every start waits for.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export function lazyComponent<Props extends object>(load: () => Promise<ComponentType<Props>>): LazyExoticComponent<ComponentType<Props>> {
  return lazy(() => load().then((component) => ({ default: component })));
}
