/// <reference types="vite/client" />
interface ImportMetaEnv {
  readonly VITE_CONNECTOR_URL?: string;
}
