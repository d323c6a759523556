/** The single DataSource the TypeORM CLI loads (compiled: dist/libs/database/src/data-source.js). */
import { loadConfig } from '@syndication/config';
import { createDataSource } from './data-source-options';

export default createDataSource(loadConfig().database.url);
