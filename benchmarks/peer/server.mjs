// The peer that `scrgraph bench` measures beside scrgraph (issue 14): the Neo4j GraphQL
// Library on Apollo Server, over the same Neo4j database. Started by benchmarks/peer.py,
// which writes the type definitions (generated from graph_schema) to the file TYPEDEFS.
// Environment: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, PORT, TYPEDEFS.
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const env = process.env;
const driver = neo4j.driver(env.NEO4J_URI, neo4j.auth.basic(env.NEO4J_USER, env.NEO4J_PASSWORD));
const typeDefs = readFileSync(env.TYPEDEFS, "utf8");
const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const server = new ApolloServer({ schema: await neoSchema.getSchema(), introspection: true });
const sessionConfig = env.NEO4J_DATABASE ? { database: env.NEO4J_DATABASE } : undefined;
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port: Number(env.PORT) },
  context: async () => ({ sessionConfig }),
});
console.log(`ready ${url}`);

const stop = async () => {
  await server.stop();
  await driver.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
