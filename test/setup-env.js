// Unit tests synthesize without CDK's built-in CloudFormation validator (see jest.config.js).
process.env.CDK_VALIDATION = 'false';
// The AWS SDK warns on every client about Node 20's end of support; the tests run on 20 and 22 alike.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
