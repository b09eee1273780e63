/** Loaded before every test file (see .mocharc.json). */
// The SDK's notice that its releases from 2027 need Node 22 says nothing about the code under test.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
