/** The registry's version, shown on the admin dashboard beside each instance (a test keeps it equal to package.json's). */
export const REGISTRY_VERSION = '0.1.0';
