/** TypeORM wiring for the apps: one DataSource per process, built from the validated config. */
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { dataSourceOptions } from './data-source-options';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config.database.url, config.database.poolSize, config.database.timeouts),
    }),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
