// A tiny fixture in the format of tencentcloud-sdk-go-intl-en's errors.go.

package v20200101

const (
	// error codes for specific actions

	// The thing is busy.
	FAILEDOPERATION_BUSY = "FailedOperation.Busy"

	// Internal error.
	INTERNALERROR = "InternalError"

	// The value is out of range.
	INVALIDPARAMETERVALUE_RANGE = "InvalidParameterValue.Range"

	INVALIDPARAMETERVALUERANGE = "InvalidParameterValueRange"
)
