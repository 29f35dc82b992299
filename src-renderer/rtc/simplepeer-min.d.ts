// simple-peer's prebuilt browser bundle (its own global/process/Buffer shims inside): same API as
// the package's main entry, whose types @types/simple-peer provides.
declare module 'simple-peer/simplepeer.min.js' {
  import SimplePeer from 'simple-peer';
  export default SimplePeer;
}
