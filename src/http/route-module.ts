import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ApiServices } from './api-services.ts';

export type HeraldServer = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

/** A route module: registers its routes on the server with the services it needs. */
export type RouteModule = (server: HeraldServer, services: ApiServices) => void;
