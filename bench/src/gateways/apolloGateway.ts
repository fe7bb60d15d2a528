/** Contender: stock Apollo Gateway + Apollo Server 5 standalone, defaults only. */
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: readFileSync(process.env['SUPERGRAPH_PATH']!, 'utf8') }) });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env['PORT']), host: process.env['HOST'] ?? '127.0.0.1' },
});
console.log(`apollo gateway at ${url}`);
