/// <reference types="vite/client" />

// Single-file components as the plain .ts modules see them (Vite compiles them; vue-tsc is not used).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
