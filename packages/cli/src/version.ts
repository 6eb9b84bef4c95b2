/** The client's version: `synapse --version` and the User-Agent (a test keeps it equal to package.json's). */
export const CLIENT_VERSION = '0.1.0';

export const USER_AGENT = `synapse-cli/${CLIENT_VERSION}`;
