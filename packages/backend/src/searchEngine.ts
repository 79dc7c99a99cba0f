/*
 * The demo's search engine: Backstage's in-memory Lunr engine, made to keep
 * Japanese words. Lunr's trimmer takes every character outside [A-Za-z0-9_]
 * off the ends of a word, so a Japanese word ("価格同期処理") is trimmed to
 * nothing and never found. The engine's tokenizer already splits words on
 * anything but Unicode letters and digits, so the trimmer has nothing else
 * to do: it is left out of the indexing pipeline. A portal on PostgreSQL
 * would use @backstage/plugin-search-backend-module-pg instead, whose
 * parser keeps Japanese words.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  LunrSearchEngine,
  LunrSearchEngineIndexer,
} from '@backstage/plugin-search-backend-node';
import { searchEngineRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import lunr from 'lunr';

class UnicodeLunrSearchEngine extends LunrSearchEngine {
  async getIndexer(type: string): Promise<LunrSearchEngineIndexer> {
    const indexer = await super.getIndexer(type);
    // The indexer's builder is not part of its API; it is there from its
    // construction, before any document.
    const { builder } = indexer as unknown as { builder: lunr.Builder };
    builder.pipeline.remove(lunr.trimmer);
    return indexer;
  }
}

export default createBackendModule({
  pluginId: 'search',
  moduleId: 'unicode-lunr-engine',
  register(env) {
    env.registerInit({
      deps: {
        searchEngineRegistry: searchEngineRegistryExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ searchEngineRegistry, logger }) {
        searchEngineRegistry.setSearchEngine(
          new UnicodeLunrSearchEngine({ logger }),
        );
      },
    });
  },
});
