// A tiny fixture in the format of tencentcloud-sdk-go's errors.go (Chinese descriptions).

package v20200101

const (
	// 此产品的特有错误码

	// 忙。
	FAILEDOPERATION_BUSY = "FailedOperation.Busy"

	// 超出范围。
	INVALIDPARAMETERVALUERANGE = "InvalidParameterValueRange"

	// 未找到。
	RESOURCENOTFOUND_THING = "ResourceNotFound.Thing"
)
